using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;

namespace Gatehouse.Core.Tests.Composition;

/// <summary>
/// The hashes are a function of the document's bytes, checked here against a second reading of
/// the definition written with <see cref="JsonNode"/> instead of a byte scanner.
/// </summary>
public sealed class ConfigHashTests
{
    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    private static RenderedConfig Rendered() => DeclarativeConfig.Write(DeclarativeConfigTests.View(DeclarativeConfigTests.Everything()));

    [Fact]
    public void Each_hash_is_of_the_section_the_definition_names()
    {
        var rendered = Rendered();
        var document = rendered.Parse();
        var upstreams = document["upstreams"]!.DeepClone().AsArray();
        var targets = new StringBuilder();
        foreach (var upstream in upstreams.Select(u => u!.AsObject()))
        {
            if (upstream["targets"] is { } nested)
            {
                targets.Append(nested.ToJsonString());
                upstream.Remove("targets");
            }
        }
        Assert.NotEqual(0, targets.Length);
        var rest = new StringBuilder();
        foreach (var (key, value) in document.Where(p => p.Key is not ("routes" or "services" or "plugins" or "upstreams")))
        {
            rest.Append(key).Append(value!.ToJsonString());
        }
        Assert.Contains("_format_version\"3.0\"", rest.ToString());

        var expected = ConfigHash.Combine(Md5(document["routes"]!.ToJsonString()), Md5(document["services"]!.ToJsonString()),
            Md5(document["plugins"]!.ToJsonString()), Md5(upstreams.ToJsonString()), Md5(targets.ToString()), Md5(rest.ToString()));
        Assert.Equal(expected, rendered.Hashes);
        Assert.Equal(expected, ConfigHash.Of(Encoding.UTF8.GetBytes(document.ToJsonString())));
    }

    [Fact]
    public void Any_changed_value_changes_the_config_hash()
    {
        var rendered = Rendered();
        var text = Encoding.UTF8.GetString(rendered.Json.Span);
        foreach (var (from, to) in new[] { ("\"3.0\"", "\"2.1\""), ("orders-route", "orders-rout3"), ("least-connections", "least-connectionz"), ("\"gold\"", "\"golD\"") })
        {
            Assert.Contains(from, text);
            var changed = ConfigHash.Of(Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal)));
            Assert.NotEqual(rendered.Hashes.Config, changed.Config);
        }
    }

    [Fact]
    public void An_empty_document_hashes_like_an_empty_control_plane()
    {
        var empty = DeclarativeConfig.Write(new Dictionary<string, IReadOnlyList<JsonObject>>());
        Assert.Equal("{\"_format_version\":\"3.0\"}", Encoding.UTF8.GetString(empty.Json.Span));
        Assert.Equal(empty.Hashes, ConfigHash.Of("{\"_format_version\":\"3.0\"}"u8));
        Assert.Equal(Md5(""), empty.Hashes.Routes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"3.0\"")]
    [InlineData("{\"_format_version\":\"3.0\"")]
    [InlineData("{\"_format_version\":\"3.0\"}{}")]
    [InlineData("{\"_format_version\":\"3.0\"} x")]
    [InlineData("{\"routes\":[],\"routes\":[]}")]
    [InlineData("{\"upstreams\":[],\"upstreams\":[{\"targets\":[]}]}")]
    [InlineData("{\"services\":[{\"name\":\"a\"}]")]
    [InlineData("\u00ff\u00fe")]
    public void What_is_not_one_object_with_unique_keys_is_refused(string document)
    {
        Assert.Throws<FormatException>(() => ConfigHash.Of(Encoding.Latin1.GetBytes(document)));
    }

    [Fact]
    public void A_truncated_snapshot_never_passes_for_the_whole_one()
    {
        var bytes = Rendered().Json.ToArray();
        for (var length = 0; length < bytes.Length; length += Math.Max(1, bytes.Length / 97))
        {
            Assert.Throws<FormatException>(() => ConfigHash.Of(bytes.AsSpan(0, length)));
        }
    }
}
