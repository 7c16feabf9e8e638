@bayeux @batch @doc:BayeuxId
Feature: Several messages in one request
  "All Bayeux messages SHOULD be encapsulated in a JSON encoded array so that multiple messages may
  be transported together. A Bayeux client or server MUST accept either array of messages";
  "Messages sent in response to messages delivered to /meta/** channels MUST use the same message
  id as the request message" (https://docs.cometd.org/current/reference/#_bayeux_id).

  Scenario: a subscribe, another subscribe and an unsubscribe in one request are answered in one response, ids echoed
    Given a CometD client of the second agent
    And it has handshaken
    When it sends one request holding a subscribe to "/v2/me/chats", a subscribe to "/v2/me/facebooksession" and an unsubscribe from the first
    Then one response answers every message of the request with its id
