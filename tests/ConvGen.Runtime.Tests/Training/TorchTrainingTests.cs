using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConvGen.Training;

namespace ConvGen.Runtime.Tests.Training;

/// <summary>
/// <see cref="Losses"/>, <see cref="Sgd"/> and <see cref="Adam"/> against PyTorch: Data/torch_training.json (written by
/// Data/make_training_fixtures.py) holds float32 losses and loss gradients, and 5-step parameter trajectories of
/// torch.optim.SGD and torch.optim.Adam under a given sequence of gradients and learning rates.
/// </summary>
public sealed class TorchTrainingTests
{
    private static readonly Lazy<JsonElement> s_root = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "torch_training.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    });

    private static JsonElement Case(string section, string name)
        => s_root.Value.GetProperty(section).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static TheoryData<string> Names(string section)
    {
        var data = new TheoryData<string>();
        foreach (JsonElement c in s_root.Value.GetProperty(section).EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    public static TheoryData<string> CrossEntropyCases => Names("cross_entropy");

    public static TheoryData<string> MseCases => Names("mse");

    public static TheoryData<string> OptimizerCases => Names("optimizers");

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    private static float[] Floats(JsonElement e, string name) => Floats(e.GetProperty(name));

    /// <summary>
    /// |actual − expected| ≤ 1e-5·|expected| + 1e-6·max|expected|: relative, with a floor at the tensor's scale for
    /// elements that cancel to near zero, where only an absolute error is meaningful.
    /// </summary>
    private static void AssertRelative(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string context)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: expected {expected.Length} values, got {actual.Length}.");
        float scale = 0;
        foreach (float e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }

        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = 1e-5 * Math.Abs(expected[i]) + 1e-6 * scale;
            if (!(Math.Abs((double)actual[i] - expected[i]) <= tolerance))
            {
                Assert.Fail(string.Format(CultureInfo.InvariantCulture,
                    "{0}: element {1} is {2:R}, expected {3:R} (tolerance {4:G3}).", context, i, actual[i], expected[i], tolerance));
            }
        }
    }

    [Theory]
    [MemberData(nameof(CrossEntropyCases))]
    public void Softmax_cross_entropy_and_its_gradient_match_pytorch(string name)
    {
        JsonElement c = Case("cross_entropy", name);
        float[] logits = Floats(c, "logits");
        int[] labels = c.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var gradient = new float[logits.Length];

        float loss = Losses.SoftmaxCrossEntropy(logits, labels, c.GetProperty("classes").GetInt32(), gradient);

        AssertRelative([c.GetProperty("loss").GetSingle()], [loss], name + " loss");
        AssertRelative(Floats(c, "gradient"), gradient, name + " gradient");
    }

    [Theory]
    [MemberData(nameof(MseCases))]
    public void Mean_squared_error_and_its_gradient_match_pytorch(string name)
    {
        JsonElement c = Case("mse", name);
        float[] prediction = Floats(c, "prediction");
        var gradient = new float[prediction.Length];

        float loss = Losses.MeanSquaredError(prediction, Floats(c, "target"), gradient);

        AssertRelative([c.GetProperty("loss").GetSingle()], [loss], name + " loss");
        AssertRelative(Floats(c, "gradient"), gradient, name + " gradient");
    }

    [Theory]
    [MemberData(nameof(OptimizerCases))]
    public void Optimizer_trajectory_matches_pytorch(string name)
    {
        JsonElement c = Case("optimizers", name);
        float[] values = Floats(s_root.Value.GetProperty("initial"));
        float[][] gradients = s_root.Value.GetProperty("gradients").EnumerateArray().Select(Floats).ToArray();
        float[] learningRates = Floats(c, "learning_rates");
        float[][] after = c.GetProperty("after").EnumerateArray().Select(Floats).ToArray();
        var parameter = new Parameter("weight", values, values.Length);
        Optimizer optimizer = Create(c.GetProperty("kind").GetString()!, c.GetProperty("options"), parameter);

        for (int step = 0; step < after.Length; step++)
        {
            gradients[step].CopyTo(parameter.Gradient, 0);
            optimizer.LearningRate = learningRates[step];
            optimizer.Step();
            AssertRelative(after[step], values, $"{name} after step {step + 1}");
        }

        Assert.Equal(after.Length, optimizer.Steps);
    }

    [Fact]
    public void The_fixture_covers_every_optimizer_option()
    {
        string[] names = ((System.Collections.Generic.IEnumerable<object[]>)OptimizerCases).Select(row => (string)row[0]).ToArray();

        Assert.Equal(5, s_root.Value.GetProperty("gradients").GetArrayLength());
        Assert.Contains("sgd_plain", names);
        Assert.Contains("sgd_momentum", names);
        Assert.Contains("sgd_momentum_weight_decay", names);
        Assert.Contains("sgd_nesterov", names);
        Assert.Contains("sgd_dampening", names);
        Assert.Contains("adam_default", names);
        Assert.Contains("adam_weight_decay", names);
    }

    private static Optimizer Create(string kind, JsonElement options, Parameter parameter)
    {
        float Option(string key) => options.GetProperty(key).GetSingle();
        return kind switch
        {
            "sgd" => new Sgd([parameter], Option("lr"), Option("momentum"), Option("weight_decay"), Option("dampening"),
                options.GetProperty("nesterov").GetBoolean()),
            "adam" => new Adam([parameter], Option("lr"), options.GetProperty("betas")[0].GetSingle(),
                options.GetProperty("betas")[1].GetSingle(), Option("eps"), Option("weight_decay")),
            _ => throw new InvalidOperationException($"Unknown optimizer kind '{kind}'."),
        };
    }
}
