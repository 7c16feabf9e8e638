@facebooksession @sendmessage @doc:FacebookPMSendMessage
Feature: Facebook private messaging: SendMessage
  SendMessage sends a message to the other participants: a MessageLogUpdated with a Text entry
  from the agent, visible to All, carrying the text sent.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/FacebookPMSendMessage

  @precondition:accept
  Scenario: agent sends a message on a facebook session -> Text entry from the agent
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    When the agent sends the message "How may I help you?" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendMessage" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent sends a message without text on a facebook session -> statusCode 1
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    When the agent performs "SendMessage" on the facebook session without text
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent sends a message on a facebook session still offered -> statusCode 2
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendMessage" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendMessage on an unknown facebook session -> statusCode 6
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendMessage" on an unknown facebook session
    Then the operation fails with statusCode 6 and a statusMessage
