@facebooksession @removeparticipantfromconference @precondition:accept @doc:FacebookPMRemovePart
Feature: Facebook private messaging: RemoveParticipantFromConference
  An agent visible to all removes another agent from a consultation or conference. The documented
  notifications: a Notice from the agent, visible to agents only (its text names the removed user),
  then a ParticipantsUpdated. The page's copy stops inside that ParticipantsUpdated: that it no
  longer lists the removed agent is what the operation means (@inferred).
  Documentation: https://enu.docs.genesys.com/Documentation/HTCC/latest/API/FacebookPMRemovePart

  Background:
    Given a facebook session from customer "FirstL" saying "Hello" is offered to the agent
    And the agent has accepted the facebook session as "TestName"
    And another agent is available

  @inferred @precondition:consult
  Scenario: agent removes the agent it consults -> Notice for agents, the agent is no longer listed
    Given the agent has performed "Consult" on the facebook session
    When the agent performs "RemoveParticipantFromConference" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "RemoveParticipantFromConference" arrive

  @inferred @missing-parameter @doc:ReturnValues @precondition:consult
  Scenario: agent removes a participant without a target -> statusCode 1
    Given the agent has performed "Consult" on the facebook session
    When the agent performs "RemoveParticipantFromConference" on the facebook session without target
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs RemoveParticipantFromConference on an unknown facebook session -> statusCode 6
    When the agent performs "RemoveParticipantFromConference" on an unknown facebook session
    Then the operation fails with statusCode 6 and a statusMessage
