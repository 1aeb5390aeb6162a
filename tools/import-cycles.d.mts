// Types of import-cycles.mjs for the tests that call it.
export declare const OUR_CODE: string[];
export declare function findImportCycles(patterns?: string[], cwd?: string): Promise<string[][]>;
