@facebooksession @addcomment @doc:FacebookPMAddComment
Feature: Facebook private messaging: AddComment
  The agent adds a comment to the Facebook session: a PropertiesUpdated whose resource carries the
  comment sent. (The sample's notification shows another text than its request: a documentation
  error; the rule that the comment is the one sent is the page's description.)
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/FacebookPMAddComment

  @precondition:accept
  Scenario: agent performs AddComment on a facebook session -> documented notification
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    When the agent performs "AddComment" on the facebook session with:
      | comment | Some facebook session comment text |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "AddComment" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs AddComment without comment on a facebook session -> statusCode 1
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    When the agent performs "AddComment" on the facebook session without comment
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs AddComment on a facebook session still offered -> statusCode 2
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "AddComment" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs AddComment on an unknown facebook session -> statusCode 6
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "AddComment" on an unknown facebook session
    Then the operation fails with statusCode 6 and a statusMessage
