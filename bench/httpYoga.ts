/**
 * The peer of bench/http, in a child process: GraphQL Yoga with its
 * defer/stream plugin on `node:http`, what a user would pick instead of the
 * engine to stream a fan-out over HTTP (issue 15 states the HTTP targets
 * against it). Three fields resolve on plain timers as the floor's events
 * do, with the same values:
 *
 * - `quick(q)` after 5 ms: `q` upper-cased;
 * - `medium(q)` after 50 ms: how many words `q` has;
 * - `slow(q)` after 500 ms: `slow result for <q>`.
 *
 * `POST /graphql` with `... @defer { f }` per field and
 * `Accept: text/event-stream` streams one `next` event per field as it
 * resolves (the client in httpClient.ts, `dialect: "graphql"`).
 */
import { useDeferStream } from "@graphql-yoga/plugin-defer-stream"
import { createSchema, createYoga } from "graphql-yoga"
import { createServer } from "node:http"
import { serveControl } from "./httpProcess.js"

const after = <A>(ms: number, value: () => A): Promise<A> => new Promise((resolve) => setTimeout(() => resolve(value()), ms))

const schema = createSchema({
  typeDefs: "type Query { quick(q: String!): String! medium(q: String!): Int! slow(q: String!): String! }",
  resolvers: {
    Query: {
      quick: (_: unknown, { q }: { q: string }) => after(5, () => q.toUpperCase()),
      medium: (_: unknown, { q }: { q: string }) => after(50, () => q.split(/\s+/).filter((w) => w.length > 0).length),
      slow: (_: unknown, { q }: { q: string }) => after(500, () => `slow result for ${q}`)
    }
  }
})

const yoga = createYoga({ schema, plugins: [useDeferStream()], graphiql: false, landingPage: false, logging: "warn" })
const server = createServer(yoga)

server.listen(Number(process.env["PORT"] ?? 0), process.env["HOST"] ?? "127.0.0.1", () => {
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("expected a TCP address")
  serveControl(address.port, () =>
    new Promise<void>((r) => {
      server.close(() => r())
      server.closeAllConnections()
    }))
})

