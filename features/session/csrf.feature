@session @csrf @doc:CSRFProtection
Feature: CSRF protection and the JSESSIONID cookie
  "Web Services provides protection against Cross-Site Request Forgery (CSRF) attacks by requiring
  a token in a custom header for all requests that modify data: PUT, POST, DELETE. Web Services
  generates and stores this token along with the HTTP session." Any GET returns the header name
  and the token in X-CSRF-HEADER and X-CSRF-TOKEN; without the token, Web Services answers HTTP 403
  "Missing or invalid Csrf token", and so it does without a cookie store (the JSESSIONID cookie)
  (https://docs.genesys.com/Documentation/HTCC/latest/API/CSRFProtection).
  The protection is a deployment option: a target whose GET carries no token has these scenarios
  skipped ("CSRF protection off"), or failed with --require-csrf. The sessions are the second
  agent's (--user2), so that a POST the target wrongly accepts touches nothing of the run's agent.

  Scenario: a POST without the CSRF token is refused with HTTP 403
    Given a new HTTP session of the second agent
    And the target protects against CSRF
    When the new session starts a contact center session without the CSRF token
    Then the answer is HTTP 403: Missing or invalid Csrf token

  @token-of-another-session
  Scenario: a POST with another HTTP session's CSRF token is refused with HTTP 403
    Given a new HTTP session of the second agent
    And the target protects against CSRF
    When the new session starts a contact center session with another session's CSRF token
    Then the answer is HTTP 403: Missing or invalid Csrf token

  @token-of-another-session @cookie
  Scenario: a POST with the CSRF token but without the JSESSIONID cookie is refused with HTTP 403
    Given a new HTTP session of the second agent without a cookie store
    And the target protects against CSRF
    When the new session starts a contact center session
    Then the answer is HTTP 403: Missing or invalid Csrf token
