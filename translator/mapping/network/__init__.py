"""Services, load balancers, Ingresses, NetworkPolicies and service-to-service reachability."""
