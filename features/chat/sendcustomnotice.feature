@chat @sendcustomnotice @doc:ChatSendCustomNotice
Feature: Chat: SendCustomNotice
  The agent sends a custom notice to all participants: a CustomNotice entry from the agent, visible to
  All, carrying the noticeText sent.
  Documentation: https://enu.docs.genesys.com/Documentation/GWS/latest/API/ChatSendCustomNotice

  @precondition:accept
  Scenario: agent performs SendCustomNotice on a chat -> documented notification
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "SendCustomNotice" on the chat with:
      | noticeText | This is a custom notice |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendCustomNotice" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs SendCustomNotice without noticeText on a chat -> statusCode 1
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "SendCustomNotice" on the chat without noticeText
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendCustomNotice on a chat still offered -> statusCode 2
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendCustomNotice" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendCustomNotice on an unknown chat -> statusCode 6
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendCustomNotice" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
