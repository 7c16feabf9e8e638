// The official CometD server for Node (npm `cometd-nodejs-server`) mounted as a gws-conformance
// target (docs/target-contract.md): its Bayeux endpoint at /api/v2/notifications, and the least a
// target needs around it for the suite to log in and make notifications happen. Used by
// tests/node_target.rs to prove that the @bayeux rules are CometD's, not only our server's.
//
// - GET /api/v2/me answers {"statusCode":0,"user":{...}}; POST /api/v2/me and
//   /api/v2/me/channels/{channel} answer {"statusCode":0} ("a target that needs none of steps 1-3
//   answers them with statusCode 0", target contract section 2). No authentication, no CSRF.
// - /api/v2/notifications[/...] is the CometD server, untouched but for one security policy: a
//   client may not publish (GWS's endpoint only delivers notifications to the agent).
// - POST /conformance/states: "an interaction is offered to the agent" publishes a StatusChange
//   Invited on the media's topic and answers {"id"}; "another agent is available" answers a
//   targetUri/targetPath; teardown answers {}.
//
// Prints `LISTENING {"port":N}` once ready; exits on stdin EOF.
import http from "node:http";
import readline from "node:readline";
import cometdServerModule from "cometd-nodejs-server";

const emit = (kind, payload) => process.stdout.write(`${kind} ${JSON.stringify(payload)}\n`);

const cometd = cometdServerModule.createCometDServer({ timeout: Number(process.argv[2] ?? "30000") });
cometd.policy = {
    canPublish: (session, message, channel, callback) => callback(undefined, false),
};

const TOPICS = { chat: "/v2/me/chats", facebooksession: "/v2/me/facebooksession", smssession: "/v2/me/smssession" };
const KEYS = { chat: "chat", facebooksession: "facebooksession", smssession: "smssession" };
const COLLECTIONS = { chat: "chats", facebooksession: "facebooksessions", smssession: "smssessions" };
let next = 0;

const json = (response, status, body) => {
    const text = JSON.stringify(body);
    response.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    response.end(text);
};

const readBody = request => new Promise(resolve => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", chunk => { if (text.length < 65536) { text += chunk; } });
    request.on("end", () => resolve(text));
});

const base = port => `http://127.0.0.1:${port}`;

const states = async (request, response, port) => {
    let body;
    try {
        body = JSON.parse(await readBody(request));
    } catch (error) {
        return json(response, 400, { error: "body is not JSON" });
    }
    if (body.action === "teardown") {
        return json(response, 200, {});
    }
    const params = body.params ?? {};
    if (body.state === "an interaction is offered to the agent") {
        const media = params.media;
        if (!TOPICS[media]) {
            return json(response, 400, { error: `unknown media ${media}` });
        }
        next += 1;
        const id = `NODE${String(next).padStart(12, "0")}`;
        const resource = {
            id,
            state: "Invited",
            capabilities: ["Accept", "Reject"],
            uri: `${base(port)}/api/v2/me/${COLLECTIONS[media]}/${id}`,
            path: `/${COLLECTIONS[media]}/${id}`,
        };
        const data = { notificationType: "StatusChange", [KEYS[media]]: resource };
        cometd.createServerChannel(TOPICS[media]).publish(null, data, () => json(response, 200, { id }));
        return undefined;
    }
    if (body.state === "another agent is available") {
        return json(response, 200, { targetUri: `${base(port)}/api/v2/users/agent2`, targetPath: "/users/agent2" });
    }
    return json(response, 400, { error: `unknown state ${body.state}` });
};

const server = http.createServer((request, response) => {
    const path = new URL(request.url, "http://localhost").pathname;
    const port = server.address().port;
    if (path === "/api/v2/notifications" || path.startsWith("/api/v2/notifications/")) {
        return cometd.handle(request, response);
    }
    if (path === "/conformance/states" && request.method === "POST") {
        return states(request, response, port);
    }
    if (path === "/api/v2/me" && request.method === "GET") {
        return json(response, 200, { statusCode: 0, user: { id: "node", userName: "agent1" } });
    }
    if ((path === "/api/v2/me" || path.startsWith("/api/v2/me/channels/")) && request.method === "POST") {
        return readBody(request).then(() => json(response, 200, { statusCode: 0 }));
    }
    return json(response, 404, { statusCode: 6, statusMessage: `no resource at ${path}` });
});

server.listen(0, "127.0.0.1", () => emit("LISTENING", { port: server.address().port }));

readline.createInterface({ input: process.stdin }).on("close", () => {
    cometd.close();
    server.close();
    server.closeAllConnections?.();
    process.exit(0);
});
