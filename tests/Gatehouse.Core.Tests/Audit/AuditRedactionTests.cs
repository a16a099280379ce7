using Gatehouse.Core.Access;
using Gatehouse.Core.Audit;

namespace Gatehouse.Core.Tests.Audit;

public sealed class AuditRedactionTests
{
    private const string AdminToken = "an-admin-token-with-no-shape-at-all";

    private readonly AuditRedaction _redaction = new(AdminToken);

    [Fact]
    public void Token_shaped_text_and_the_admin_token_are_replaced_wherever_they_appear()
    {
        var spat = AccessTokenSecret.NewSystemAccountToken();
        const string jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        var cleaned = _redaction.Clean($"/v2/control-planes/{spat}?x=kpat_abc123 ua/{AdminToken}/Bearer {jwt}")!;
        Assert.Equal("/v2/control-planes/spat_[redacted]?x=kpat_[redacted] ua/[redacted]/Bearer [redacted]", cleaned);
    }

    [Theory]
    [InlineData("/v2/control-planes/6f1c9c1e-4a35-4a0a-9a4e-1d9a7c1b2e3f/core-entities/services")]
    [InlineData("curl/8.5.0")]
    [InlineData("a_spat_is_not_a_token")]
    [InlineData("")]
    [InlineData(null)]
    public void Text_without_tokens_is_kept_as_it_was(string? text) => Assert.Equal(text, _redaction.Clean(text));
}
