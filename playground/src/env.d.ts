/** Where the build put Z3 (vite.config.ts): a directory URL ending in `/`. */
declare const __Z3_DIR__: string;
