namespace Gatehouse.Core.Access;

/// <summary>
/// A person an identity provider vouched for in a token it signed: the object id that names them for
/// good (Entra ID's <c>oid</c>), their email (<c>preferred_username</c>), their name, and the object
/// ids of the provider's groups they are in, which team-group mappings turn into teams.
/// </summary>
public sealed record SignedInPerson(Guid ObjectId, string? Email, string? Name, IReadOnlyList<string> Groups);

/// <summary>A team's identity provider groups (Konnect's team-group mapping): members of any of them hold the team's roles.</summary>
public sealed record TeamGroupMapping(Guid TeamId, IReadOnlyList<string> Groups);
