using Gatehouse.Testing;

[assembly: AssemblyFixture(typeof(StorageFixture))]
