import { qrCodeSvg } from "./qr-code.js";
import type { SignInView } from "./sign-in-view.js";
import "./sign-in-panel.css";

export interface SignInPanel {
  readonly element: HTMLElement;
  /** Shows `view`; touches the DOM only where something changed (the QR code is drawn once per address). */
  render(view: SignInView): void;
}

/**
 * The sign-in panel: a calm card over the dashboard's corner, never a modal
 * and never in place of the cards, which keep showing their last data. Its
 * attributes are the page contract the end-to-end tests read:
 * `data-auth-panel`, `data-kind` (the view's kind), `data-sign-in="code" |
 * "uri" | "qr"`; the QR element carries `data-qr-text` once drawn.
 */
export function createSignInPanel(): SignInPanel {
  const element = document.createElement("aside");
  element.className = "sign-in-panel";
  element.dataset.authPanel = "";
  element.dataset.kind = "hidden";
  element.hidden = true;
  element.setAttribute("aria-labelledby", "sign-in-title");
  element.innerHTML = `
    <h2 id="sign-in-title" class="sign-in-title"></h2>
    <div class="sign-in-steps" data-part="code">
      <p class="sign-in-step">On a phone or computer, open</p>
      <p class="sign-in-uri" data-sign-in="uri"></p>
      <p class="sign-in-step">and enter the code</p>
      <p class="sign-in-code" data-sign-in="code"></p>
      <figure class="sign-in-qr" data-sign-in="qr"><figcaption>or scan this</figcaption></figure>
      <p class="sign-in-validity"></p>
      <p class="sign-in-note" hidden></p>
    </div>
    <p class="sign-in-detail" data-part="detail"></p>
    <p class="visually-hidden" role="status" aria-live="polite" data-sign-in="announcer"></p>`;
  const $ = <T extends HTMLElement>(selector: string) => element.querySelector<T>(selector)!;
  const title = $("#sign-in-title");
  const steps = $('[data-part="code"]');
  const detail = $('[data-part="detail"]');
  const uri = $('[data-sign-in="uri"]');
  const userCode = $('[data-sign-in="code"]');
  const qr = $('[data-sign-in="qr"]');
  const validity = $(".sign-in-validity");
  const note = $(".sign-in-note");
  const announcer = $('[data-sign-in="announcer"]');
  let qrFor: string | undefined;
  let announced: string | undefined;

  function drawQr(text: string) {
    if (qrFor === text) return;
    qrFor = text;
    qr.querySelector("svg")?.remove();
    delete qr.dataset.qrText;
    qrCodeSvg(text, "QR code of the sign-in address").then(
      (svg) => {
        if (qrFor !== text) return; // a newer code arrived meanwhile
        qr.prepend(svg);
        qr.dataset.qrText = text;
      },
      () => {
        // Without the QR code the address and code still work.
        if (qrFor === text) qr.hidden = true;
      },
    );
  }

  function setText(node: HTMLElement, text: string) {
    if (node.textContent !== text) node.textContent = text;
  }

  return {
    element,
    render(view) {
      element.hidden = view.kind === "hidden";
      element.dataset.kind = view.kind;
      if (view.kind === "hidden") return;
      setText(title, view.title);
      steps.hidden = view.kind !== "code";
      detail.hidden = view.kind === "code";
      if (view.kind === "code") {
        if (uri.textContent !== view.verificationUri) uri.replaceChildren(...addressWithBreaks(view.verificationUri));
        setText(userCode, view.userCode);
        setText(validity, view.validity);
        note.hidden = view.note === undefined;
        setText(note, view.note ?? "");
        qr.hidden = false;
        drawQr(view.qrText ?? view.verificationUri);
      } else {
        setText(detail, view.detail);
      }
      // Heard once per situation (not every countdown second).
      const announcement = view.kind === "code" ? `${view.title}: open ${view.verificationUri} and enter ${view.userCode}.` : view.title;
      if (announcement !== announced) {
        announced = announcement;
        announcer.textContent = announcement;
      }
    },
  };
}

/**
 * An address cut where a reader expects a line break — after the origin,
 * after each `/` of the path, before a `?` — so a narrow panel wraps
 * "…:8700/realms/" | "smartcore/device", never inside a name. (The CSS
 * breaks inside a part only when one part alone is wider than the panel.)
 */
export function addressParts(address: string): string[] {
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(address)?.[0] ?? "";
  const rest = address.slice(origin.length);
  return [origin, ...rest.split(/(?<=\/)|(?=\?)/)].filter((part) => part !== "");
}

/** The address as text nodes with a `<wbr>` between its {@link addressParts}. */
function addressWithBreaks(address: string): Node[] {
  return addressParts(address).flatMap((part, index): Node[] => {
    const text = document.createTextNode(part);
    return index === 0 ? [text] : [document.createElement("wbr"), text];
  });
}
