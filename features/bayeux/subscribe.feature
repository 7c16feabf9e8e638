@bayeux @subscribe @doc:BayeuxSubscribe
Feature: Bayeux subscribe and unsubscribe: exact channels and wildcards
  Clients subscribe to a channel name or a channel pattern: "/foo/*" matches one segment,
  "/foo/**" several (https://docs.cometd.org/current/reference/#_bayeux_meta_subscribe, Channel
  Globbing); event messages are delivered to the clients subscribed to their channel, and an
  unsubscribe stops them (https://docs.cometd.org/current/reference/#_bayeux_meta_unsubscribe).
  The agent's topics are /v2/me/... (/v2/me/chats, /v2/me/facebooksession or, in the other
  documented spelling, /v2/me/facebooksessions). Absence is judged against a sentinel: a Facebook
  session offered afterwards, on a channel still subscribed (both spellings are).

  @doc:BayeuxUnsubscribe @unsubscribe
  Scenario Outline: nothing on a channel arrives after unsubscribing from <subscription>
    Given a CometD client of the second agent
    And it has handshaken
    When it subscribes to "<subscription>"
    And it subscribes to "/v2/me/facebooksession"
    And it subscribes to "/v2/me/facebooksessions"
    And it unsubscribes from "<subscription>"
    And a chat is offered to the second agent
    And a facebook session is offered to the second agent
    Then it receives the last offer
    And it received nothing of the first offer

    Examples:
      | subscription |
      | /v2/me/chats |
      | /v2/me/*     |
      | /v2/me/**    |
