using Gatehouse.Azure.Storage;

namespace Gatehouse.Azure.Tests;

/// <summary>The one place that builds the three storage clients, from either form of the storage setting.</summary>
public sealed class StorageAccountTests
{
    private static readonly string s_key = Convert.ToBase64String(new byte[64]);

    [Fact]
    public void Development_storage_means_Azurite_on_its_default_ports()
    {
        var account = StorageAccount.FromConnectionString("UseDevelopmentStorage=true");
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), account.Tables.Uri);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), account.Blobs.Uri);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), account.Queues.Uri);
        Assert.Equal("devstoreaccount1", account.Blobs.AccountName);
    }

    [Fact]
    public void An_account_string_derives_endpoints_from_name_protocol_and_suffix()
    {
        var account = StorageAccount.FromConnectionString($"DefaultEndpointsProtocol=https;AccountName=gh;AccountKey={s_key};EndpointSuffix=core.chinacloudapi.cn");
        Assert.Equal(new Uri("https://gh.table.core.chinacloudapi.cn/"), account.Tables.Uri);
        Assert.Equal(new Uri("https://gh.blob.core.chinacloudapi.cn/"), account.Blobs.Uri);
        Assert.Equal(new Uri("https://gh.queue.core.chinacloudapi.cn/"), account.Queues.Uri);
    }

    [Fact]
    public void Explicit_endpoints_reach_Azurite_on_other_ports()
    {
        var account = StorageAccount.FromConnectionString(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={s_key};" +
            "BlobEndpoint=http://127.0.0.1:4240/devstoreaccount1;QueueEndpoint=http://127.0.0.1:4241/devstoreaccount1;TableEndpoint=http://127.0.0.1:4242/devstoreaccount1;");
        Assert.Equal(new Uri("http://127.0.0.1:4242/devstoreaccount1"), account.Tables.Uri);
        Assert.Equal(new Uri("http://127.0.0.1:4240/devstoreaccount1"), account.Blobs.Uri);
        Assert.Equal(new Uri("http://127.0.0.1:4241/devstoreaccount1"), account.Queues.Uri);
    }

    [Fact]
    public void Service_uris_with_a_credential_are_the_managed_identity_form()
    {
        var account = StorageAccount.FromServiceUris(
            new Uri("https://st.table.core.windows.net/"), new Uri("https://st.blob.core.windows.net/"), new Uri("https://st.queue.core.windows.net/"),
            new StaticToken("token"));
        Assert.Equal(new Uri("https://st.table.core.windows.net/"), account.Tables.Uri);
        Assert.Equal(new Uri("https://st.blob.core.windows.net/"), account.Blobs.Uri);
        Assert.Equal(new Uri("https://st.queue.core.windows.net/"), account.Queues.Uri);
    }

    [Theory]
    [InlineData("AccountName=a")]
    [InlineData("AccountKey=AAAA")]
    [InlineData("UseDevelopmentStorage=false")]
    [InlineData("AccountName=a;AccountKey=not base64!")]
    [InlineData("AccountName=a;AccountName=b;AccountKey=AAAA")]
    [InlineData("justgarbage")]
    public void A_malformed_string_says_what_a_valid_one_holds(string connectionString)
    {
        var e = Assert.Throws<FormatException>(() => StorageAccount.FromConnectionString(connectionString));
        Assert.Contains("UseDevelopmentStorage=true", e.Message);
        Assert.Contains("AccountName", e.Message);
        Assert.Contains("AccountKey", e.Message);
    }

    [Fact]
    public void A_malformed_segment_is_not_echoed_because_it_may_be_a_key()
    {
        var e = Assert.Throws<FormatException>(() => StorageAccount.FromConnectionString("AccountName=a;SECRETSECRETSECRETSECRET"));
        Assert.DoesNotContain("SECRET", e.ToString());
    }
}
