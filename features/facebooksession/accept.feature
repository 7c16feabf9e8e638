@facebooksession @accept @doc:FacebookPMAccept
Feature: Facebook private messaging: Accept
  This request accepts an incoming Facebook private message. The 2015 page posts to
  /api/v2/me/facebooksession/{id} and spells the notifications FacebooksessionStateChangeMessage
  with key facebooksession; the 2019 reference posts to /api/v2/me/facebooksessions/{id} with
  facebooksessionStateChangeMessage and key facebooksessions. Both are conformant; the runner
  learns which one the target uses and reports it (--strict requires the 2019 spelling).
  Documentation: https://docs.genesys.com/Documentation/HTCC/8.5.2/API/FacebookPMAccept (2015 revision)
  Documentation: Web Services API Reference (PDF), Facebook PM Accept (2019)

  Scenario: agent accepts facebook session -> receives Chatting status
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent accepts the facebook session as "Marat"
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Accept" arrive

  @inferred @missing-parameter @doc:ReturnValues
  Scenario: agent accepts facebook session without nickname -> statusCode 1 with a statusMessage
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent accepts the facebook session without a nickname
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent accepts an unknown facebook session -> statusCode 6
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent accepts an unknown facebook session as "Marat"
    Then the operation fails with statusCode 6 and a statusMessage

  @inferred @wrong-state @precondition:accept @doc:ReturnValues
  Scenario: agent accepts a facebook session already accepted -> statusCode 2
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    When the agent accepts the facebook session as "Marat"
    Then the operation fails with statusCode 2 and a statusMessage
