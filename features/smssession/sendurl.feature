@smssession @sendurl @doc:SMSSendUrl
Feature: SMS session: SendUrl
  The agent pushes a URL to the customer: a PushUrl entry from the agent, visible to All, carrying
  the url sent. (The samples send www.genesys.com and show google.com: a documentation error; the
  rule that the entry carries the url sent is the page's description.)
  Documentation: https://docs.genesys.com/Documentation:HTCC:API:SMSSendUrl:8.5.2

  @precondition:accept
  Scenario: agent performs SendUrl on an SMS session -> documented notification
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "SendUrl" on the SMS session with:
      | url | http://www.genesys.com |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendUrl" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs SendUrl without url on an SMS session -> statusCode 1
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "SendUrl" on the SMS session without url
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendUrl on an SMS session still offered -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendUrl" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendUrl on an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendUrl" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
