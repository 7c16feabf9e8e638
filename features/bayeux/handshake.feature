@bayeux @handshake @doc:BayeuxHandshake
Feature: Bayeux handshake
  "A successful handshake response MUST contain the message fields: channel, version,
  supportedConnectionTypes [...] This list MUST contain at least one element in common with the
  supportedConnectionType provided in the handshake request [...] clientId, successful", and a
  reply to a /meta/** message carries the request's id (Bayeux 1.0 as CometD documents it,
  https://docs.cometd.org/current/reference/#_bayeux_meta_handshake). The client is the second
  agent's, on an HTTP session of its own.

  "If there are no connectionTypes in common, the handshake response MUST be unsuccessful"; an
  unsuccessful response carries an error and MAY carry the server's supportedConnectionTypes and
  version, never a clientId (https://docs.cometd.org/current/reference/#_bayeux_clientid).
  CometD's own servers (Java and Node) answer such a handshake successful and list only their own
  connection types, leaving the client to find none in common: both answers negotiate nothing, and
  both pass; a reply that claims the offered type fails. Bayeux 1.0 states no refusal for a
  version ("Versions are compared element by element"), and CometD's servers answer every
  handshake with version 1.0: a client offering a newer version whose minimumVersion is 1.0 is
  accepted, with a version negotiated within what it offered. GWS's pages say nothing of either.

  Scenario: a handshake offering long-polling succeeds with a clientId, the version and long-polling
    Given a CometD client of the second agent
    When it handshakes
    Then the handshake succeeds with a clientId, the version and the connection types

  @inferred @connection-type
  Scenario: a handshake offering only an unsupported connection type negotiates none
    Given a CometD client of the second agent
    When it handshakes offering only a connection type the server does not support
    Then no connection type is negotiated: the handshake is refused, or lists none the client offered

  @inferred @version
  Scenario: a handshake offering a newer version with minimumVersion 1.0 is negotiated within what it offered
    Given a CometD client of the second agent
    When it handshakes offering version "2.0" with minimumVersion "1.0"
    Then the handshake succeeds, negotiating a version from "1.0" to "2.0"
