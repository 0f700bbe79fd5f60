/**
 * The extension's settings (`constellation.*`), read into one value with
 * their defaults.
 */

export interface Settings {
  readonly serverUrl: string
  readonly apiKey: string
  readonly transport: "stdio" | "server"
  readonly command: string
}

/** Reads the settings through a `get` like VS Code's `WorkspaceConfiguration.get`. */
export const readSettings = (get: (key: string) => unknown): Settings => {
  const text = (key: string, fallback: string): string => {
    const value = get(key)
    return typeof value === "string" && value.trim() !== "" ? value.trim() : fallback
  }
  return {
    serverUrl: text("server.url", "http://127.0.0.1:8080"),
    apiKey: text("server.apiKey", ""),
    transport: get("languageServer.transport") === "server" ? "server" : "stdio",
    command: text("languageServer.command", "constellation")
  }
}
