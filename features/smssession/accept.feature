@smssession @accept @doc:SMSAccept
Feature: SMS session: Accept
  This request accepts an incoming SMS session. saveLAR (optional, true or false) stores the
  agent in the Contact Profile for last agent routing. The page prints the StatusChange
  messageType as "test_accept " (a documentation error); the runner expects
  SMSsessionStateChangeMessage as in the page's other notifications.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/SMSAccept

  Scenario: agent accepts SMS session -> receives Chatting status
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent accepts the SMS session as "Marat"
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Accept" arrive

  Scenario: agent accepts SMS session with saveLAR -> receives Chatting status
    Given an SMS session from customer "PersonQ" saying "Is anyone there?" is offered to the agent
    When the agent accepts the SMS session as "John Doe" with saveLAR
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Accept" arrive

  @inferred @missing-parameter @doc:ReturnValues
  Scenario: agent accepts SMS session without nickname -> statusCode 1 with a statusMessage
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent accepts the SMS session without a nickname
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent accepts an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent accepts an unknown SMS session as "Marat"
    Then the operation fails with statusCode 6 and a statusMessage

  @inferred @wrong-state @precondition:accept @doc:ReturnValues
  Scenario: agent accepts an SMS session already accepted -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent accepts the SMS session as "Marat"
    Then the operation fails with statusCode 2 and a statusMessage

  @inferred @invalid-value @doc:ReturnValues
  Scenario: agent accepts SMS session with saveLAR neither true nor false -> statusCode 10
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "Accept" on the SMS session with:
      | nickname | Marat     |
      | saveLAR  | sometimes |
    Then the operation fails with statusCode 10 and a statusMessage
