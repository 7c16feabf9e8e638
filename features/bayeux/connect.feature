@bayeux @connect @doc:BayeuxConnect
Feature: Bayeux connect: long-polling, client advice, unknown clients
  A connect is held until a message is available or the advised timeout passes
  (https://docs.cometd.org/current/reference/#_bayeux_long_polling); "Bayeux servers SHOULD honor
  timeout advices sent by clients" (https://docs.cometd.org/current/reference/#_bayeux_advice), as
  CometD clients ask for timeout 0 on their first connect; a client the server does not know gets
  an unsuccessful connect with reconnect advice "handshake": "the server has terminated any prior
  connection status and the client MUST reconnect with a /meta/handshake message"
  (https://docs.cometd.org/current/reference/#_bayeux_meta_connect); after /meta/disconnect the
  server removes the client's state (https://docs.cometd.org/current/reference/#_bayeux_meta_disconnect).
  The connect asking for timeout 0 comes before any subscription, so that no notification can
  answer it in the server's place.

  @doc:BayeuxAdvice @advice
  Scenario: a connect asking for timeout 0 is answered at once, a later one is held until a notification
    Given a CometD client of the second agent
    And it has handshaken
    Then a connect asking for advice timeout 0 is answered at once
    When it subscribes to "/v2/me/chats"
    Then a connect held while a chat is offered to the second agent carries it

  @unknown-client
  Scenario: a connect with a clientId the server never gave is refused with 402 and advice to handshake
    Given a CometD client of the second agent
    When it connects with an unknown clientId
    Then the connect is refused with 402 and advice to handshake

  @doc:BayeuxDisconnect @unknown-client
  Scenario: after /meta/disconnect, a connect is refused with 402 and advice to handshake
    Given a CometD client of the second agent
    And it has handshaken
    When it disconnects
    And it connects again
    Then the connect is refused with 402 and advice to handshake
