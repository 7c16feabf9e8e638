@smssession @lifecycle @precondition:accept @doc:SMSAccept
Feature: SMS session: an agent's whole conversation
  The operations chained as an agent does them on one interaction, each judged as on its own page:
  an implementation that handles each call alone but loses the interaction's state between them
  fails here. Pages: those of each operation (see their own features).
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/SMSAccept

  @sendmessage @sendstarttypingnotification @sendstoptypingnotification @sendurl @invite @removeparticipantfromconference @setdisposition @complete
  Scenario: accept, talk, type, push a URL, invite to a conference, remove the invited agent, set the disposition, complete
    Given an SMS session from customer "FirstL" saying "Hello" is offered to the agent
    And the agent has accepted the SMS session as "TestName"
    And another agent is available
    When the agent performs "SendMessage" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendMessage" arrive
    When the agent performs "SendStartTypingNotification" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendStartTypingNotification" arrive
    When the agent performs "SendStopTypingNotification" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendStopTypingNotification" arrive
    When the agent performs "SendUrl" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendUrl" arrive
    When the agent performs "Invite" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Invite" arrive
    When the agent performs "RemoveParticipantFromConference" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "RemoveParticipantFromConference" arrive
    When the agent performs "SetDisposition" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SetDisposition" arrive
    When the agent performs "Complete" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Complete" arrive
