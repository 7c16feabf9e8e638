@smssession @sendtoagents @doc:SMSSendToAgents
Feature: SMS session: SendToAgents
  The agent sends a message to the other agents only: a Text entry from the agent, visible to Agents,
  carrying the text sent.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/SMSSendToAgents

  @precondition:accept
  Scenario: agent performs SendToAgents on an SMS session -> documented notification
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "SendToAgents" on the SMS session with:
      | text | We need your help? |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendToAgents" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs SendToAgents without text on an SMS session -> statusCode 1
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "SendToAgents" on the SMS session without text
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendToAgents on an SMS session still offered -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendToAgents" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendToAgents on an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendToAgents" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
