namespace Gatehouse.Functions.Access.EntraId;

/// <summary>
/// A person Entra ID vouched for in a valid token: the object id (<c>oid</c>) that names them for
/// good, how they are called, and the object ids of the groups the token lists (<c>groups</c>).
/// <see cref="GroupsOverflowed"/> is true when they are in more groups than a token carries; Entra
/// then lists none, and only a Microsoft Graph call could say which.
/// </summary>
internal sealed record EntraIdentity(Guid ObjectId, string? Email, string? Name, IReadOnlyList<Guid> Groups, bool GroupsOverflowed);
