import { Extractor, ExtractorConfig, ExtractorLogLevel, type IConfigFile } from "@microsoft/api-extractor";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PackageEntry } from "./entries.js";

export interface ApiReportResult {
  readonly entry: PackageEntry;
  /** The report differs from the checked-in api/<name>.api.md (written there with `update`). */
  readonly changed: boolean;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * Runs API Extractor on one entry's built declarations (lib/entries/<name>.d.ts)
 * and compares its report with api/<name>.api.md: the public API as reviewers
 * see it. With `update` the checked-in report is rewritten (a local build);
 * without, a difference is an error (CI). A type used by an exported
 * declaration but not exported itself ("forgotten export": an internal
 * showing through a public signature) is marked in the report.
 */
export function apiReport(repo: string, entry: PackageEntry, update: boolean): ApiReportResult {
  const configObject: IConfigFile = {
    projectFolder: repo,
    mainEntryPointFilePath: join(repo, `lib/entries/${entry.name}.d.ts`),
    compiler: {
      overrideTsconfig: {
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          lib: ["ES2022", "DOM", "DOM.Iterable", "WebWorker"],
          types: ["node"],
          strict: true,
          // The DOM and WebWorker libs conflict; the consumers' type checks (examples/) run with skipLibCheck off.
          skipLibCheck: true,
        },
        files: [join(repo, `lib/entries/${entry.name}.d.ts`)],
      },
    },
    apiReport: {
      enabled: true,
      reportFileName: entry.name,
      reportFolder: join(repo, "api"),
      reportTempFolder: join(repo, "lib/.api-temp"),
      // …and their declarations with them, so the report shows all an embedder can reach.
      includeForgottenExports: true,
    },
    docModel: { enabled: false },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    messages: {
      compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
      extractorMessageReporting: {
        default: { logLevel: ExtractorLogLevel.Warning },
        // A type the public declarations use but the entry does not export:
        // written into the report, so reviewers see every such leak.
        "ae-forgotten-export": { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: true },
        // TSDoc completeness is not this check's job (the report shows the declarations).
        "ae-undocumented": { logLevel: ExtractorLogLevel.None },
        // No @public/@beta tags: everything exported is public.
        "ae-missing-release-tag": { logLevel: ExtractorLogLevel.None },
      },
      tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
    },
  };
  const config = ExtractorConfig.prepare({
    configObject,
    configObjectFullPath: join(repo, "api/api-extractor.json"),
    packageJsonFullPath: join(repo, "package.json"),
  });
  const errors: string[] = [];
  const warnings: string[] = [];
  const result = Extractor.invoke(config, {
    localBuild: update,
    messageCallback(message) {
      message.handled = true;
      const text = `${message.sourceFilePath ? `${message.sourceFilePath.replace(repo, "")}: ` : ""}${message.text}`;
      // A changed report is reported by `changed`, not as one more error line.
      if (message.messageId === "console-api-report-changed" || message.messageId === "console-api-report-copied") return;
      if (message.logLevel === ExtractorLogLevel.Error) errors.push(text);
      else if (message.logLevel === ExtractorLogLevel.Warning) warnings.push(text);
    },
  });
  // A forgotten export goes into the report rather than to the console, so
  // it is read back from there: every type a public signature uses must be
  // importable by the embedder from the same entry.
  const written = readFileSync(join(repo, "lib/.api-temp", `${entry.name}.api.md`), "utf8");
  for (const match of written.matchAll(/\(ae-forgotten-export\) The symbol "([^"]+)"/g)) {
    errors.push(`the public API uses ${match[1]}, which the entry does not export`);
  }
  return { entry, changed: result.apiReportChanged, errors, warnings };
}
