// The official CometD JavaScript client (npm `cometd`, run in Node through `cometd-nodejs-client`)
// as a peer for interop tests of a Bayeux server.
//
// Usage: node bayeux-client.mjs <endpoint-url> <subscription> <user:password | -> <expected-messages> [timeout-ms]
//
// Handshakes (long-polling only, Basic auth when credentials are given), subscribes to
// <subscription> after EVERY successful handshake (CometD clears subscriptions on re-handshake),
// and prints one JSON line per event on stdout:
//   READY {"handshakes":N,"clientId":"..."}      subscribed after the N-th handshake
//   MESSAGE {"channel":"...","data":...}          a message received on the subscription
//   DISCONNECTED {"successful":true|false}        after <expected-messages> messages, then exit 0
//   ERROR {"error":"..."}                         then exit 2 (timeout) or 3 (refused)
import { adapt } from "cometd-nodejs-client";
import { CometD } from "cometd";

adapt();

const [endpoint, subscription, credentials, expectedText, timeoutText] = process.argv.slice(2);
if (!endpoint || !subscription || !credentials || !expectedText) {
    process.stderr.write("usage: node bayeux-client.mjs <endpoint-url> <subscription> <user:password|-> <expected-messages> [timeout-ms]\n");
    process.exit(64);
}
const expected = Number(expectedText);
const timeoutMs = Number(timeoutText ?? "20000");

const emit = (kind, payload) => process.stdout.write(`${kind} ${JSON.stringify(payload)}\n`);
const fail = (code, error) => {
    emit("ERROR", { error });
    process.exit(code);
};

let received = 0;
let handshakes = 0;
const timer = setTimeout(
    () => fail(2, `timed out after ${timeoutMs} ms: ${received} of ${expected} message(s), ${handshakes} handshake(s)`),
    timeoutMs,
);

const cometd = new CometD();
cometd.unregisterTransport("websocket");
cometd.unregisterTransport("callback-polling");
const requestHeaders = {};
if (credentials !== "-") {
    requestHeaders.Authorization = "Basic " + Buffer.from(credentials, "utf8").toString("base64");
}
cometd.configure({ url: endpoint, logLevel: "warn", requestHeaders, maxNetworkDelay: 5000 });

cometd.addListener("/meta/handshake", reply => {
    if (!reply.successful) {
        // CometD retries per advice; only report it.
        process.stderr.write(`handshake unsuccessful: ${JSON.stringify(reply)}\n`);
        return;
    }
    handshakes += 1;
    cometd.subscribe(
        subscription,
        message => {
            received += 1;
            emit("MESSAGE", { channel: message.channel, data: message.data });
            if (received >= expected) {
                cometd.disconnect(reply => {
                    clearTimeout(timer);
                    emit("DISCONNECTED", { successful: reply.successful === true });
                    process.exit(0);
                });
            }
        },
        reply => {
            if (reply.successful) {
                emit("READY", { handshakes, clientId: cometd.getClientId() });
            } else {
                fail(3, `subscribe ${subscription} refused: ${JSON.stringify(reply)}`);
            }
        },
    );
});

cometd.handshake();
