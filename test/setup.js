// cdktf's jest matchers (toHaveResourceWithProperties, ...). Loading cdktf here is cheap (~0.4 s).
require('cdktf').Testing.setupJest();
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
