// Interop check of the reference server with the official CometD JavaScript client in Node.
// Usage: node accept-flow.mjs BASE_URL [MEDIA] [COLLECTION] [basic-only]
// Logs in (GET /api/v2/me: JSESSIONID cookie + CSRF token), handshakes CometD with Basic auth,
// subscribes to /v2/me/*, drives the provider state "an interaction is offered to the agent",
// accepts the interaction over HTTP (with the cookie and the CSRF token), With "basic-only",
// the CometD client sends Basic auth and nothing else (no cookie, no CSRF header), as a plain
// Bayeux client does. It and prints every notification it receives for it as
//   NOTIFICATION <json {channel, data}>
// then ACCEPT <json response> and DONE once the three Accept notifications are in.
// Exits 1 with "FAILED <reason>" on any error, or after 25 s (the Rust test waits 30 s).
import { adapt } from "cometd-nodejs-client";
import { CometD } from "cometd";

adapt();

const base = process.argv[2];
const media = process.argv[3] || "chat";
const collection = process.argv[4] || "chats";
const basicOnly = process.argv[5] === "basic-only";
const auth = "Basic " + Buffer.from("agent1:secret1").toString("base64");

function fail(reason) {
    console.log("FAILED " + reason);
    process.exit(1);
}
setTimeout(() => fail("no result within 25 s"), 25000).unref();

const me = await fetch(base + "/api/v2/me", { headers: { Authorization: auth } });
if (me.status !== 200) fail("GET /api/v2/me answered " + me.status);
const cookie = (me.headers.get("set-cookie") || "").split(";")[0];
const csrfHeader = me.headers.get("x-csrf-header");
const csrfToken = me.headers.get("x-csrf-token");
if (!cookie.startsWith("JSESSIONID=")) fail("no JSESSIONID cookie");
if (!csrfHeader || !csrfToken) fail("no CSRF headers");
const headers = { Authorization: auth, Cookie: cookie, [csrfHeader]: csrfToken };

const cometd = new CometD();
cometd.unregisterTransport("websocket");
const cometdHeaders = basicOnly ? { Authorization: auth } : headers;
cometd.configure({ url: base + "/api/v2/notifications", requestHeaders: cometdHeaders, logLevel: "warn" });

let id = null;
const seen = [];
// Everything received, also before the provider state answered with the id (the offer
// notification may arrive first).
const received = [];
function finish() {
    console.log("DONE");
    cometd.disconnect(() => process.exit(0));
}
function scan() {
    while (id && received.length > 0) {
        const message = received.shift();
        if (!JSON.stringify(message.data).includes(id)) continue;
        console.log("NOTIFICATION " + JSON.stringify({ channel: message.channel, data: message.data }));
        seen.push(message);
        if (seen.length === 1) accept();
        if (seen.length === 4) finish();
    }
}

cometd.handshake((reply) => {
    if (!reply.successful) fail("handshake: " + JSON.stringify(reply));
    cometd.subscribe("/v2/me/*", (message) => {
        received.push(message);
        scan();
    }, async (subscribed) => {
        if (!subscribed.successful) fail("subscribe: " + JSON.stringify(subscribed));
        const state = await fetch(base + "/conformance/states", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({
                state: "an interaction is offered to the agent", action: "setup",
                params: { media, user: "agent1", customer: "PersonP", text: "Hello World" },
            }),
        });
        if (state.status !== 200) fail("provider state answered " + state.status);
        id = (await state.json()).id;
        console.log("OFFERED " + id);
        scan();
    });
});

async function accept() {
    const response = await fetch(base + "/api/v2/me/" + collection + "/" + id, {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({ operationName: "Accept", nickname: "Marat" }),
    });
    console.log("ACCEPT " + JSON.stringify({ status: response.status, body: await response.json() }));
}
