@bayeux @handshake @doc:BayeuxHandshake
Feature: Bayeux handshake
  "A successful handshake response MUST contain the message fields: channel, version,
  supportedConnectionTypes [...] This list MUST contain at least one element in common with the
  supportedConnectionType provided in the handshake request [...] clientId, successful", and a
  reply to a /meta/** message carries the request's id (Bayeux 1.0 as CometD documents it,
  https://docs.cometd.org/current/reference/#_bayeux_meta_handshake). The client is the second
  agent's, on an HTTP session of its own.

  Scenario: a handshake offering long-polling succeeds with a clientId, the version and long-polling
    Given a CometD client of the second agent
    When it handshakes
    Then the handshake succeeds with a clientId, the version and the connection types
