"""Neural-network building blocks of chapter 3, in NumPy, forward and backward side by side.

Modules
-------
activations
    Sigmoid, tanh, ReLU, leaky ReLU, PReLU, ELU and their derivatives (section 3.6).
conv
    Convolution (cross-correlation) and transposed convolution, the ``Conv2D``,
    ``Flatten`` and ``Unflatten`` layers (sections 3.2 and 3.5).
upsample
    The bilinear kernel ``upsample_filt`` and bilinear upsampling (section 3.5.2).
init
    Parameter initialisers: zeros, normal, Xavier and He/MSRA (section 3.7).
layers
    Dense and activation layers, Sequential, losses, SGD/momentum, gradient checks (3.1-3.4).
batchnorm
    Batch normalisation: ``batchnorm_forward``/``batchnorm_backward`` and the ``BatchNorm``
    layer with running statistics for inference (section 3.3).
residual
    The ``Residual`` block y = x + F(x) and plain/residual MLP builders (section 3.4).
"""
