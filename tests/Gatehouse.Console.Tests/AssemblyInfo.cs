using Gatehouse.Console.Tests;
using Gatehouse.Testing;

[assembly: AssemblyFixture(typeof(StorageFixture))]
[assembly: AssemblyFixture(typeof(BrowserFixture))]
