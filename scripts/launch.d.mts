/** The bundle of `entry` (a path from the repository's root), built if needed; undefined when esbuild is not installed. */
export declare const bundled: (entry: string, name: string) => Promise<string | undefined>
/** Runs `entry` (a path from the repository's root) from its bundle, or through tsx without esbuild. */
export declare const launch: (entry: string, name: string) => Promise<void>
