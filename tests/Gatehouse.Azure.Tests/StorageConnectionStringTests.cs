using Gatehouse.Azure.Storage;

namespace Gatehouse.Azure.Tests;

public sealed class StorageConnectionStringTests
{
    [Fact]
    public void Development_storage_means_Azurite_on_its_default_ports()
    {
        var connection = StorageConnectionString.Parse("UseDevelopmentStorage=true");
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), connection.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), connection.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connection.TableEndpoint);
        Assert.Equal("devstoreaccount1", connection.Credential.AccountName);
    }

    [Fact]
    public void An_account_string_derives_endpoints_from_name_protocol_and_suffix()
    {
        var key = Convert.ToBase64String(new byte[64]);
        var connection = StorageConnectionString.Parse($"DefaultEndpointsProtocol=https;AccountName=gh;AccountKey={key};EndpointSuffix=core.chinacloudapi.cn");
        Assert.Equal(new Uri("https://gh.blob.core.chinacloudapi.cn"), connection.BlobEndpoint);
        Assert.Equal(new Uri("https://gh.queue.core.chinacloudapi.cn"), connection.QueueEndpoint);
        Assert.Equal(new Uri("https://gh.table.core.chinacloudapi.cn"), connection.TableEndpoint);
    }

    [Fact]
    public void Explicit_endpoints_win_and_names_are_case_insensitive()
    {
        var key = Convert.ToBase64String(new byte[64]);
        var connection = StorageConnectionString.Parse(
            $"accountname=devstoreaccount1; accountkey={key}; TableEndpoint=http://127.0.0.1:4242/devstoreaccount1;");
        Assert.Equal(new Uri("http://127.0.0.1:4242/devstoreaccount1"), connection.TableEndpoint);
        Assert.Equal(new Uri("https://devstoreaccount1.blob.core.windows.net"), connection.BlobEndpoint);
    }

    [Theory]
    [InlineData("AccountName=a", "AccountKey")]
    [InlineData("AccountKey=AAAA", "AccountName")]
    [InlineData("AccountName=a;AccountKey=not base64!", "AccountKey")]
    [InlineData("AccountName=a;AccountKey=AAAA;DefaultEndpointsProtocol=ftp", "DefaultEndpointsProtocol")]
    [InlineData("AccountName=a;AccountKey=AAAA;BlobEndpoint=not a uri", "BlobEndpoint")]
    [InlineData("AccountName=a;AccountName=b;AccountKey=AAAA", "more than once")]
    [InlineData("BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=2020", "SharedAccessSignature")]
    [InlineData("UseDevelopmentStorage=yes", "UseDevelopmentStorage")]
    [InlineData("justgarbage", "name=value")]
    public void Malformed_strings_say_which_part_is_wrong(string connectionString, string named)
    {
        var e = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void A_malformed_segment_is_not_echoed_whole_because_it_may_be_a_key()
    {
        var e = Assert.Throws<FormatException>(() => StorageConnectionString.Parse("AccountName=a;SECRETSECRETSECRETSECRET"));
        Assert.DoesNotContain("SECRETSECRETSECRETSECRET", e.Message);
    }
}
