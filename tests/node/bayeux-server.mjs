// The official CometD server for Node (npm `cometd-nodejs-server`) as a scripted peer for interop
// tests of a Bayeux client. Listens on 127.0.0.1 (port 0 = any free port) and reads commands, one
// JSON object per line, on stdin; every event is one line on stdout:
//   LISTENING {"port":N}                       ready; the Bayeux endpoint is http://127.0.0.1:N/cometd
//   SUBSCRIBED {"clientId":"...","channel":"..."}
//   ACK {"op":"...", ...}                       after each command
// Commands:
//   {"op":"publish","channel":"/v2/me/chats","data":{...}}  publish to the channel's subscribers
//   {"op":"disconnect-sessions"}                           remove every session server-side
//                                                          (their next message gets 402)
//   {"op":"exit"}                                          close and exit 0 (so does stdin EOF)
//
// Usage: node bayeux-server.mjs [timeout-ms]   (the advised connect hold, default 30000)
import http from "node:http";
import readline from "node:readline";
import cometdServerModule from "cometd-nodejs-server";

const timeout = Number(process.argv[2] ?? "30000");
const emit = (kind, payload) => process.stdout.write(`${kind} ${JSON.stringify(payload)}\n`);

const cometd = cometdServerModule.createCometDServer({ timeout, logLevel: "info" });
const sessions = new Map();
cometd.addListener("sessionAdded", session => sessions.set(session.id, session));
cometd.addListener("sessionRemoved", session => sessions.delete(session.id));
cometd.addListener("subscribed", (channel, session) => emit("SUBSCRIBED", { clientId: session.id, channel: channel.name }));

const server = http.createServer(cometd.handle);
server.timeout = timeout * 4;

const shutdown = () => {
    cometd.close();
    server.close();
    server.closeAllConnections?.();
    process.exit(0);
};

server.listen(0, "127.0.0.1", () => {
    emit("LISTENING", { port: server.address().port });
});

const commands = readline.createInterface({ input: process.stdin });
commands.on("line", line => {
    if (!line.trim()) {
        return;
    }
    let command;
    try {
        command = JSON.parse(line);
    } catch (error) {
        emit("ACK", { op: "invalid", error: String(error) });
        return;
    }
    switch (command.op) {
        case "publish": {
            const channel = cometd.createServerChannel(command.channel);
            channel.publish(null, command.data, () => emit("ACK", { op: "publish", channel: command.channel }));
            break;
        }
        case "disconnect-sessions": {
            const all = [...sessions.values()];
            all.forEach(session => session.disconnect());
            emit("ACK", { op: "disconnect-sessions", count: all.length });
            break;
        }
        case "exit":
            emit("ACK", { op: "exit" });
            shutdown();
            break;
        default:
            emit("ACK", { op: String(command.op), error: "unknown op" });
    }
});
commands.on("close", shutdown);
