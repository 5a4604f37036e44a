/**
 * Labels and units as facilities staff write them: JSON keys such as
 * `tempC`, `co2ppm` or `areaM2` and unit tokens such as `degC` or
 * `percentRH` become "Temperature" + "°C", "CO₂" + "ppm", "Area" + "m²",
 * "% RH". Pure and small on purpose: extend it with {@link createLabels}
 * (extra words, units, key suffixes) rather than editing the views.
 */
export interface Labels {
  /** A key as a label, and the unit its values are in when the key says so (`areaM2` → Area, m²). */
  labelFor(this: void, key: string): { readonly label: string; readonly unit: string | undefined };
  /** A unit token as its symbol (`degC` → °C); an unknown token is returned as it is. */
  unitSymbol(this: void, token: string): string;
  /** A value with its unit: "21.5 °C", "45 % RH", "180 m²" (a no-break space: they stay on one line); the value alone without a unit. */
  withUnit(this: void, value: string, unit: string | undefined): string;
}

export interface LabelExtensions {
  /** Unit tokens (matched case-insensitively) → symbols, e.g. `{ "m3h": "m³/h" }`. */
  readonly units?: Readonly<Record<string, string>>;
  /** Words (case-insensitively) → how they are written, e.g. `{ ahu: "AHU" }`. */
  readonly words?: Readonly<Record<string, string>>;
  /** Key suffixes (case-sensitive, camelCase) → unit tokens, e.g. `{ M3h: "m3h" }`. */
  readonly keySuffixes?: Readonly<Record<string, string>>;
}

/** Unit tokens seen in building data, keyed in lower case. */
export const UNIT_SYMBOLS: Readonly<Record<string, string>> = {
  degc: "°C",
  celsius: "°C",
  "°c": "°C",
  degf: "°F",
  fahrenheit: "°F",
  k: "K",
  kelvin: "K",
  percentrh: "% RH",
  rh: "% RH",
  "%rh": "% RH",
  percent: "%",
  pct: "%",
  ppm: "ppm",
  ppb: "ppb",
  m2: "m²",
  sqm: "m²",
  m3: "m³",
  m3h: "m³/h",
  lps: "l/s",
  w: "W",
  kw: "kW",
  kwh: "kWh",
  mwh: "MWh",
  lux: "lx",
  lx: "lx",
  pa: "Pa",
  kpa: "kPa",
  db: "dB",
  dba: "dB(A)",
  ugm3: "µg/m³",
  hz: "Hz",
  v: "V",
  a: "A",
};

/** Words written in a fixed way (acronyms, chemical formulas), keyed in lower case. */
export const LABEL_WORDS: Readonly<Record<string, string>> = {
  co2: "CO₂",
  co: "CO",
  no2: "NO₂",
  o3: "O₃",
  pm25: "PM2.5",
  pm10: "PM10",
  voc: "VOC",
  tvoc: "TVOC",
  hvac: "HVAC",
  ahu: "AHU",
  fcu: "FCU",
  bms: "BMS",
  id: "ID",
  ip: "IP",
  url: "URL",
  rh: "RH",
  temp: "Temperature",
  temperature: "Temperature",
  humidity: "Humidity",
  m2: "m²",
};

/**
 * camelCase key suffixes that carry a unit (`areaM2`, `co2ppm`, `powerKw`).
 * Temperature suffixes (`C`, `F`) count only after a temperature word, so
 * `blockC` stays "Block c".
 */
export const KEY_SUFFIX_UNITS: Readonly<Record<string, string>> = {
  PercentRH: "percentRH",
  PercentRh: "percentRH",
  RH: "percentRH",
  Rh: "percentRH",
  Pct: "percent",
  Percent: "percent",
  Ppm: "ppm",
  ppm: "ppm",
  Ppb: "ppb",
  M2: "m2",
  M3: "m3",
  Kw: "kw",
  KW: "kw",
  Kwh: "kwh",
  KWh: "kwh",
  Lux: "lux",
  Pa: "pa",
  Db: "db",
  DbA: "dba",
};

const TEMPERATURE_BASE = /(temp|temperature|setpoint)$/i;

/** The default labels; {@link createLabels} adds to them. */
export const DEFAULT_LABELS: Labels = createLabels();

export function createLabels(extensions: LabelExtensions = {}): Labels {
  // Maps, not objects: the keys looked up come from documents, and a key such as
  // `constructor` or `__proto__` must find nothing rather than Object.prototype's members.
  const units = new Map([...lowerKeys(UNIT_SYMBOLS), ...lowerKeys(extensions.units ?? {})]);
  const words = new Map([...lowerKeys(LABEL_WORDS), ...lowerKeys(extensions.words ?? {})]);
  const suffixes = new Map([...Object.entries(KEY_SUFFIX_UNITS), ...Object.entries(extensions.keySuffixes ?? {})]);
  // Longest first: `PercentRH` before `RH`, `KWh` before `KW`.
  const suffixList = [...suffixes.keys()].sort((a, b) => b.length - a.length);

  const unitSymbol = (token: string) => units.get(token.trim().toLowerCase()) ?? token;

  function humanize(key: string): string {
    const spaced = key
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .replace(/(\d)([A-Z][a-z])/g, "$1 $2")
      .replace(/[-_]+/g, " ")
      .trim();
    if (spaced === "") return key;
    const mapped = spaced.split(/\s+/).map((word, i) => {
      const known = words.get(word.toLowerCase());
      if (known) return known;
      if (i === 0) return word.charAt(0).toUpperCase() + word.slice(1);
      // Keep acronyms ("B1", "HVAC"); lower-case ordinary words.
      return /^[A-Z][a-z]+$/.test(word) ? word.toLowerCase() : word;
    });
    // "Temperature" as a later word reads lower-case, except where the map says otherwise (CO₂).
    return mapped
      .map((word, i) => (i > 0 && (word === "Temperature" || word === "Humidity") ? word.toLowerCase() : word))
      .join(" ");
  }

  return {
    unitSymbol,
    labelFor(key) {
      const whole = words.get(key.toLowerCase());
      if (whole) return { label: whole, unit: undefined };
      for (const suffix of suffixList) {
        if (!key.endsWith(suffix) || key.length === suffix.length) continue;
        const base = key.slice(0, -suffix.length);
        // A suffix starts a new camelCase word (`areaM2`) or follows a formula (`co2ppm`).
        if (!/[a-z0-9]$/.test(base)) continue;
        return { label: humanize(base), unit: unitSymbol(suffixes.get(suffix)!) };
      }
      const temperature = /^(.*?)([CF])$/.exec(key);
      if (temperature && TEMPERATURE_BASE.test(temperature[1]!)) {
        return { label: humanize(temperature[1]!), unit: temperature[2] === "C" ? "°C" : "°F" };
      }
      return { label: humanize(key), unit: undefined };
    },
    withUnit(value, unit) {
      if (!unit || value === "" || value === "—") return value;
      return `${value}\u00a0${unit.replace(/ /g, "\u00a0")}`;
    },
  };
}

function lowerKeys(record: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]);
}
