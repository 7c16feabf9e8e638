@facebooksession @deleteuserdata @doc:FacebookPMDeleteUserData
Feature: Facebook private messaging: DeleteUserData
  The agent deletes user data keys: a PropertiesUpdated whose userData holds none of the keys sent.
  The keys sent are the page's request sample, attached first with the AttachUserData sample.
  The saved copy of the page is cut short (the copy stops inside the notification's userData): the notification rule rests on the
  operation table and the pages of the other media.
  Documentation: https://en.docs.genesys.com/index.php?diff=next&oldid=329541&title=Documentation%3AHTCC%3AAPI%3AFacebookPMDeleteUserData%3A8.5.2

  @precondition:accept @precondition:attachuserdata
  Scenario: agent performs DeleteUserData on a facebook session -> documented notification
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    And the agent has performed "AttachUserData" on the facebook session
    When the agent performs "DeleteUserData" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "DeleteUserData" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs DeleteUserData without keys on a facebook session -> statusCode 1
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    When the agent performs "DeleteUserData" on the facebook session without keys
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs DeleteUserData on a facebook session still offered -> statusCode 2
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "DeleteUserData" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs DeleteUserData on an unknown facebook session -> statusCode 6
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "DeleteUserData" on an unknown facebook session
    Then the operation fails with statusCode 6 and a statusMessage
