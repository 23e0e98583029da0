// The little of jsdom's API the HTML report's test uses, typed here so the
// project's TypeScript keeps its Node-only lib (@types/jsdom would bring
// the whole DOM lib into every file).

declare module 'jsdom' {
  export interface DomNode {
    readonly textContent: string | null;
    readonly tagName: string;
    hidden: boolean;
    checked: boolean;
    open: boolean;
    getAttribute(name: string): string | null;
    querySelector(selector: string): DomNode | null;
    querySelectorAll(selector: string): ArrayLike<DomNode> & Iterable<DomNode>;
    dispatchEvent(event: unknown): boolean;
  }
  export interface DomWindow {
    readonly document: DomNode & { getElementById(id: string): DomNode | null; body: DomNode };
    getComputedStyle(el: DomNode): { display: string };
    Event: new (type: string, init?: { bubbles?: boolean }) => unknown;
    [name: string]: unknown;
  }
  export class JSDOM {
    constructor(html: string, options?: { runScripts?: 'dangerously' | 'outside-only' });
    readonly window: DomWindow;
  }
}
