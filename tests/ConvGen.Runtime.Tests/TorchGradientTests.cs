using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// <see cref="ConvReference.Backward"/> against PyTorch autograd: for every case of Data/torch_cases.json (every
/// kind, dimension, padding rule and mode, activation), Data/torch_gradients.json holds an upstream gradient and the
/// gradients PyTorch computed in float64 with respect to the input, the weights and the bias.
/// </summary>
public sealed class TorchGradientTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> s_gradients = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "torch_gradients.json");
        JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("gradients").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    });

    public static TheoryData<string> CaseNames => TorchParityTests.CaseNames;

    private static float[] Floats(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(v => v.GetSingle()).ToArray();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Backward_reference_matches_pytorch_autograd(string name)
    {
        ConformanceCase c = TorchParityTests.Case(name);
        JsonElement g = s_gradients.Value[name];
        var dx = new float[c.Input.Length];
        var dw = new float[c.Weights.Length];
        var db = new float[c.Bias.Length];
        ConvReference.Backward(c.Geometry, c.Input, c.InputShape, c.Weights, c.Bias, Floats(g, "output_grad"), dx, dw, db);
        Tensors.AssertClose(Floats(g, "input_grad"), dx, name + " input gradient");
        Tensors.AssertClose(Floats(g, "weight_grad"), dw, name + " weight gradient");
        Tensors.AssertClose(Floats(g, "bias_grad"), db, name + " bias gradient");
    }

    [Fact]
    public void Every_pytorch_case_has_its_gradients()
        => Assert.Equal(((IEnumerable<object[]>)CaseNames).Select(row => (string)row[0]).Order(StringComparer.Ordinal), s_gradients.Value.Keys.Order(StringComparer.Ordinal));
}
