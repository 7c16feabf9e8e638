@facebooksession @transfer @precondition:accept @doc:FacebookPMTransfer
Feature: Facebook private messaging: Transfer
  Transfer hands the Facebook session over to another user or queue, named by its targetPath. The
  response carries a referenceId. The only copy of the page is a 2015 draft whose notification
  sections say "Missing": that the interaction is Completed for the agent who handed it over is @inferred. Its agent sample sends the path as targetUri, which its own table does not list:
  the suite sends the table's targetPath.
  Documentation: https://en.docs.genesys.com/index.php?diff=prev&oldid=321447&title=Documentation%3AHTCC%3AAPI%3AFacebookPMTransfer%3A8.5.2DRAFT

  Background:
    Given a facebook session from customer "VitaliyOnv" saying "Hello" is offered to the agent
    And the agent has accepted the facebook session as "TestName"
    And another agent is available

  @inferred
  Scenario: agent transfers the facebook session to another agent -> Completed for the agent
    When the agent performs "Transfer" on the facebook session through its targetPath
    Then the operation succeeds with statusCode 0 and a referenceId
    And the notifications documented for "Transfer" arrive

  @inferred @missing-parameter @doc:ReturnValues
  Scenario: agent transfers without targetPath -> statusCode 1
    When the agent performs "Transfer" on the facebook session without target
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs Transfer on an unknown facebook session -> statusCode 6
    When the agent performs "Transfer" on an unknown facebook session
    Then the operation fails with statusCode 6 and a statusMessage
