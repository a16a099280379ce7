// A data plane listener made of the official SignalR JavaScript client (@microsoft/signalr, pinned
// in the repository's package.json), so the hub is proven against a client we did not write.
// Usage: node hub-listener.cjs <hub url> <access token> [method to try to invoke]
// Prints one JSON object per line: connected | refused | message | invoked | invoke-failed | closed.
// Stops when its standard input closes.
"use strict";
const signalR = require("@microsoft/signalr");

const [url, token, invoke] = process.argv.slice(2);
const say = (event) => process.stdout.write(JSON.stringify(event) + "\n");

const connection = new signalR.HubConnectionBuilder()
  .withUrl(url, { accessTokenFactory: () => token })
  // The client's own log goes to stderr (the test shows it when something fails); stdout is events only.
  .configureLogging({ log: (level, message) => level >= signalR.LogLevel.Information && process.stderr.write(`[${signalR.LogLevel[level]}] ${message}\n`) })
  .build();

connection.on("configUpdated", (...args) => say({ event: "message", target: "configUpdated", arguments: args }));
connection.onclose((error) => {
  say({ event: "closed", error: error ? String(error.message) : null });
  process.exit(0);
});

(async () => {
  try {
    await connection.start();
  } catch (error) {
    say({ event: "refused", error: String(error.message) });
    process.exit(0);
  }
  say({ event: "connected", transport: connection.connection.transport?.constructor?.name ?? null });
  if (invoke) {
    try {
      const result = await connection.invoke(invoke, "anything");
      say({ event: "invoked", result: result ?? null });
    } catch (error) {
      say({ event: "invoke-failed", error: String(error.message) });
    }
  }
})();

process.stdin.on("end", () => connection.stop().finally(() => process.exit(0)));
process.stdin.resume();
