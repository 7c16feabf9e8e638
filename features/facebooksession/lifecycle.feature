@facebooksession @lifecycle @precondition:accept @doc:FacebookPMAccept
Feature: Facebook private messaging: an agent's whole conversation
  The operations chained as an agent does them on one interaction, each judged as on its own page:
  an implementation that handles each call alone but loses the interaction's state between them
  fails here. Pages: those of each operation (see their own features).
  Documentation: https://docs.genesys.com/Documentation/HTCC/8.5.2/API/FacebookPMAccept

  @sendmessage @sendurl @consult @removeparticipantfromconference @addcomment @attachuserdata @setdisposition @transfer
  Scenario: accept, talk, push a URL, consult, remove the consultant, comment, set the disposition, transfer
    Given a facebook session from customer "FirstL" saying "Hello" is offered to the agent
    And the agent has accepted the facebook session as "TestName"
    And another agent is available
    When the agent performs "SendMessage" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendMessage" arrive
    When the agent performs "SendUrl" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendUrl" arrive
    When the agent performs "Consult" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Consult" arrive
    When the agent performs "RemoveParticipantFromConference" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "RemoveParticipantFromConference" arrive
    When the agent performs "AddComment" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "AddComment" arrive
    When the agent performs "AttachUserData" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "AttachUserData" arrive
    When the agent performs "SetDisposition" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SetDisposition" arrive
    When the agent performs "Transfer" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Transfer" arrive
