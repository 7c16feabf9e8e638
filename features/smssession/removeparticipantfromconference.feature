@smssession @removeparticipantfromconference @precondition:accept @doc:SMSRemoveParticipantFromConference
Feature: SMS session: RemoveParticipantFromConference
  An agent visible to all removes another agent from a consultation or conference. The documented
  notifications: a Notice from the agent, visible to agents only (its text names the removed user),
  then a ParticipantsUpdated. The page's copy stops inside that ParticipantsUpdated: that it no
  longer lists the removed agent is what the operation means (@inferred).
  Documentation: https://enu.docs.genesys.com/Documentation/GWS/8.5.2/API/SMSRemoveParticipantFromConference

  Background:
    Given an SMS session from customer "FirstL" saying "Hello" is offered to the agent
    And the agent has accepted the SMS session as "TestName"
    And another agent is available

  @inferred @precondition:consult
  Scenario: agent removes the agent it consults -> Notice for agents, the agent is no longer listed
    Given the agent has performed "Consult" on the SMS session
    When the agent performs "RemoveParticipantFromConference" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "RemoveParticipantFromConference" arrive

  @inferred @precondition:invite
  Scenario: agent removes the agent it invited to a conference -> the agent is no longer listed
    Given the agent has performed "Invite" on the SMS session
    When the agent performs "RemoveParticipantFromConference" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "RemoveParticipantFromConference" arrive

  @inferred @missing-parameter @doc:ReturnValues @precondition:consult
  Scenario: agent removes a participant without a target -> statusCode 1
    Given the agent has performed "Consult" on the SMS session
    When the agent performs "RemoveParticipantFromConference" on the SMS session without target
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs RemoveParticipantFromConference on an unknown SMS session -> statusCode 6
    When the agent performs "RemoveParticipantFromConference" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
