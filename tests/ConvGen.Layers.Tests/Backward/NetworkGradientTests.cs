using System;
using System.IO;
using System.Linq;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Layers.Tests.Backward;

/// <summary>
/// Whole networks' generated backward passes against PyTorch autograd: Data/make_network_fixtures.py wrote, for the
/// same weights and input as the forward parity tests, the float64 gradients of sum(output · g) for a seeded g with
/// respect to the input and every parameter. Covers every layer kind a network holds: convolutions (strided,
/// depthwise, 1-D), a separable block, max and average pooling, global pooling, flatten, linear layers, every
/// activation the networks use (ReLU, ReLU6, SiLU, tanh, leaky ReLU) and a residual connection.
/// </summary>
public sealed class NetworkGradientTests
{
    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", name));

    private static float[] Tensor(byte[] file, string name)
    {
        long[] shape = SafeTensors.Describe(file).Single(t => t.Name == name).Shape;
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        SafeTensors.Load(file, new[] { new NamedParameter(name, shape.Select(d => (int)d).ToArray(), values) });
        return values;
    }

    public static TheoryData<string> Names => new() { "lenet", "mobile", "tiny1d", "residual" };

    private static ITrainableNetwork Create(string name)
    {
        byte[] weights = Fixture(name + ".safetensors");
        switch (name)
        {
            case "lenet":
                var lenet = new Networks.LeNet();
                lenet.LoadSafeTensors(weights);
                return lenet;
            case "mobile":
                var mobile = new Networks.MobileNet();
                mobile.LoadSafeTensors(weights);
                return mobile;
            case "residual":
                var residual = new Networks.ResidualNet();
                residual.LoadSafeTensors(weights);
                return residual;
            default:
                var tiny = new Networks.Tiny1d();
                tiny.LoadSafeTensors(weights);
                return tiny;
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Network_backward_reproduces_PyTorch_autograd_for_input_and_every_parameter(string name)
    {
        ITrainableNetwork network = Create(name);
        byte[] io = Fixture(name + "_io.safetensors"), grads = Fixture(name + "_grad.safetensors");
        float[] input = Tensor(io, "input");
        int batch = input.Length / network.InputSize;
        float[] outputGradient = Tensor(grads, "output_gradient");

        var output = new float[batch * network.OutputSize];
        var activations = new float[batch * network.TrainingSize];
        var gradients = new float[batch * network.GradientSize];
        network.ForwardTraining(input, output, batch, activations);
        Numerics.AssertClose(Tensor(io, "output"), output, name + ": training forward against PyTorch");

        foreach (Parameter p in network.Parameters)
        {
            p.ZeroGradient();
        }

        var inputGradient = new float[input.Length];
        Array.Fill(inputGradient, float.NaN);
        network.Backward(input, output, outputGradient, batch, activations, gradients, inputGradient);
        Numerics.AssertClose(Tensor(grads, "input_gradient"), inputGradient, name + ": input gradient against PyTorch");
        Assert.NotEmpty(network.Parameters);
        foreach (Parameter p in network.Parameters)
        {
            Numerics.AssertClose(Tensor(grads, p.Name), p.Gradient, $"{name}: {p.Name} gradient against PyTorch");
        }

        // Every tensor PyTorch has a gradient for is one of the network's parameters.
        string[] torchNames = SafeTensors.Describe(grads).Select(t => t.Name).Where(n => n is not ("output_gradient" or "input_gradient")).ToArray();
        Assert.Equal(torchNames.OrderBy(n => n, StringComparer.Ordinal), network.Parameters.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Network_backward_with_wrong_buffers_names_expected_and_actual(string name)
    {
        ITrainableNetwork network = Create(name);
        int batch = 2;
        var input = new float[batch * network.InputSize];
        var output = new float[batch * network.OutputSize];
        var activations = new float[batch * network.TrainingSize];
        var gradients = new float[batch * network.GradientSize];
        network.ForwardTraining(input, output, batch, activations);

        var short1 = Assert.Throws<ArgumentException>(() => network.Backward(input, output, new float[output.Length + 1], batch, activations, gradients, default));
        Assert.Contains((output.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), short1.Message);
        if (network.GradientSize > 0)
        {
            var short2 = Assert.Throws<ArgumentException>(() => network.Backward(input, output, new float[output.Length], batch, activations, new float[gradients.Length - 1], default));
            Assert.Contains("gradients", short2.Message);
        }

        var short3 = Assert.Throws<ArgumentException>(() => network.ForwardTraining(input, output, batch, new float[Math.Max(0, activations.Length - 1)]));
        Assert.Contains("activations", short3.Message);
    }
}
