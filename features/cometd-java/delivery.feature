@cometd-java @overlapping @doc:CometDJavaDelivery
Feature: CometD's Java server: one delivery per client session under overlapping subscriptions
  GWS serves its notifications with CometD's Java server (the GWS 8.5.2 CometD deployment page
  names CometD 3: https://en.docs.genesys.com/index.php?direction=prev&oldid=345751&title=Documentation%3AHTCC%3ADep%3ACometD%3A8.5.2DRAFT).
  That server collects the subscribers of a message's channel and of its wildcard channels into
  one set before delivering (BayeuxServerImpl.notifySubscribers), so a client whose
  subscriptions /v2/me/chats, /v2/me/* and /v2/me/** all cover a channel receives its message
  once, and the CometD client library hands that one message to each of its listeners. A server
  that delivers once per subscription makes every listener of a GWS agent application see every
  notification several times.

  Bayeux 1.0 does not state this (https://docs.cometd.org/current/reference/#_bayeux_meta_subscribe),
  and CometD's server for Node (npm cometd-nodejs-server 1.2.1) delivers once per subscription, so
  the rule is not a Bayeux one: it is CometD Java's, the server GWS deploys, and it is inferred
  from that server's code, not from a documented sample.

  @inferred
  Scenario: a notification covered by three subscriptions arrives once
    Given a CometD client of the second agent
    And it has handshaken
    When it subscribes to "/v2/me/chats"
    And it subscribes to "/v2/me/*"
    And it subscribes to "/v2/me/**"
    And a chat is offered to the second agent
    And a facebook session is offered to the second agent
    Then it receives the last offer
    And it received the first offer exactly once
    And it received the last offer exactly once
