using System.Text;

namespace Gatehouse.Bench;

/// <summary>A JSON request body for the management API.</summary>
internal static class JsonBody
{
    public static StringContent Of(string json) => new(json, Encoding.UTF8, "application/json");
}
