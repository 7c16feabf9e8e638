@smssession @sendstoptypingnotification @doc:SMSSendStopType
Feature: SMS session: SendStopTypingNotification
  The agent tells the other participants that it has stopped typing: a MessageLogUpdated with a
  TypingStopped entry from the agent, visible to All.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/SMSSendStopType

  @precondition:accept
  Scenario: agent performs SendStopTypingNotification on an SMS session -> documented notification
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "SendStopTypingNotification" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendStopTypingNotification" arrive

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendStopTypingNotification on an SMS session still offered -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendStopTypingNotification" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendStopTypingNotification on an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendStopTypingNotification" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
