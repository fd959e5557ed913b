import type { Browser } from 'playwright-core';

export interface Resource {
  readonly name: string;
  readonly transferSize: number;
  readonly encodedBodySize: number;
  readonly decodedBodySize: number;
}

export interface FirstLoad {
  readonly transferBytes: number;
  readonly decodedBytes: number;
  readonly interactiveMs: number;
  readonly resources: readonly Resource[];
  readonly encodings: Readonly<Record<string, string | undefined>>;
}

export const CHROMIUM: string;
export const CHROMIUM_ARGS: readonly string[];
export function launchBrowser(): Promise<Browser>;
export function firstLoad(browser: Browser, url: string): Promise<FirstLoad>;
