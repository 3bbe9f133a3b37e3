// Pulumi type tokens the policies look at. Every Elastic Load Balancing class exists twice, as
// aws.lb.* and as the older aws.alb.* alias, and a type token matches only its own class: each
// list holds both, so a program written with either is checked.

export const LOAD_BALANCER_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
export const LISTENER_TYPES = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
export const LISTENER_RULE_TYPES = ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"];
export const TARGET_GROUP_TYPES = ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"];

export const HTTP_API_TYPE = "aws:apigatewayv2/api:Api";
export const HTTP_API_STAGE_TYPE = "aws:apigatewayv2/stage:Stage";
export const HTTP_API_DOMAIN_NAME_TYPE = "aws:apigatewayv2/domainName:DomainName";
export const REST_API_TYPE = "aws:apigateway/restApi:RestApi";
export const REST_API_STAGE_TYPE = "aws:apigateway/stage:Stage";
/** With `stageName` (@pulumi/aws 6 and older; version 7 removed the input) a Deployment creates a stage. */
export const REST_API_DEPLOYMENT_TYPE = "aws:apigateway/deployment:Deployment";
export const REST_API_METHOD_SETTINGS_TYPE = "aws:apigateway/methodSettings:MethodSettings";
export const REST_API_USAGE_PLAN_TYPE = "aws:apigateway/usagePlan:UsagePlan";
export const REST_API_DOMAIN_NAME_TYPE = "aws:apigateway/domainName:DomainName";
