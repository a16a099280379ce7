namespace Gatehouse.Testing.OpenApi;

/// <summary>
/// One way an instance fails its schema: where in the instance (<c>$.data[0].config.cluster_type</c>),
/// why, and which keyword of the schema said so (a local JSON pointer such as
/// <c>#/components/schemas/ControlPlane/properties/name/type</c>).
/// </summary>
public sealed record SchemaError(string Path, string Reason, string SchemaPath)
{
    public override string ToString() => $"{Path}: {Reason} (at {SchemaPath})";
}
