@chat @sendcustomnoticetoagents @doc:ChatSendCustomNoticeToAgents
Feature: Chat: SendCustomNoticeToAgents
  The agent sends a custom notice to the other agents only: a CustomNotice entry from the agent,
  visible to Agents, carrying the noticeText sent.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/ChatSendCustomNoticeToAgents

  @precondition:accept
  Scenario: agent performs SendCustomNoticeToAgents on a chat -> documented notification
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "SendCustomNoticeToAgents" on the chat with:
      | noticeText | This is a custom notice to Agents |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendCustomNoticeToAgents" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs SendCustomNoticeToAgents without noticeText on a chat -> statusCode 1
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "SendCustomNoticeToAgents" on the chat without noticeText
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendCustomNoticeToAgents on a chat still offered -> statusCode 2
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendCustomNoticeToAgents" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendCustomNoticeToAgents on an unknown chat -> statusCode 6
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendCustomNoticeToAgents" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
