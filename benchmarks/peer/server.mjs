// PostGraphile 5 (amber preset) serving the benchmark's PostgreSQL database: node server.mjs DATABASE_URL PORT
// Node 20 lacks Promise.withResolvers, which postgraphile 5.1.x calls: polyfilled before it loads.
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new this((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

const { createServer } = await import("node:http");
const { postgraphile } = await import("postgraphile");
const { PostGraphileAmberPreset } = await import("postgraphile/presets/amber");
const { makePgService } = await import("postgraphile/adaptors/pg");
const { grafserv } = await import("postgraphile/grafserv/node");

const [connectionString, port] = process.argv.slice(2);
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString, schemas: ["public"], poolConfig: { max: 10 } })],
  grafserv: { graphqlPath: "/graphql", watch: false },
  grafast: { explain: false },
  disablePlugins: ["PgIndexBehaviorsPlugin"],
};
const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on("error", (e) => { console.error(e); process.exit(1); });
await serv.addTo(server);
server.listen(Number(port), "127.0.0.1", () => console.log(`ready on ${port}`));
