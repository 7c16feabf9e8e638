@chat @lifecycle @precondition:accept @doc:ChatAccept
Feature: Chat: an agent's whole conversation
  The operations chained as an agent does them on one interaction, each judged as on its own page:
  an implementation that handles each call alone but loses the interaction's state between them
  fails here. Pages: those of each operation (see their own features).
  Documentation: https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatAccept

  @sendmessage @sendstarttypingnotification @sendstoptypingnotification @sendurl @consult @sendtoagents @removeparticipantfromconference @setdisposition @complete
  Scenario: accept, talk, type, push a URL, consult, remove the consultant, set the disposition, complete
    Given a chat from customer "FirstL" saying "Hello" is offered to the agent
    And the agent has accepted the chat as "TestName"
    And another agent is available
    When the agent performs "SendMessage" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendMessage" arrive
    When the agent performs "SendStartTypingNotification" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendStartTypingNotification" arrive
    When the agent performs "SendStopTypingNotification" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendStopTypingNotification" arrive
    When the agent performs "SendUrl" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendUrl" arrive
    When the agent performs "Consult" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Consult" arrive
    When the agent performs "SendToAgents" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendToAgents" arrive
    When the agent performs "RemoveParticipantFromConference" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "RemoveParticipantFromConference" arrive
    When the agent performs "SetDisposition" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SetDisposition" arrive
    When the agent performs "Complete" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Complete" arrive
