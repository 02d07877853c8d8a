package org.infrakit.rpc.client;

import java.util.List;

import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.rpc.message.GroupMessages;

/**
 * A group plugin behind a socket. Plugin failures arrive as {@link PluginException}s with the
 * remote message; transport failures as {@link org.osgi.framework.ServiceException} (REMOTE).
 */
public final class GroupPluginProxy implements GroupPlugin {
    private final JsonRpcClient rpc;

    /** @param rpc the socket's client */
    public GroupPluginProxy(JsonRpcClient rpc) {
        this.rpc = rpc;
    }

    private <T> T call(String method, Object params, Class<T> result) throws PluginException {
        try {
            return rpc.call(method, params, result);
        } catch (RemoteError e) {
            throw new PluginException(e.getMessage(), e);
        }
    }

    @Override
    public String commitGroup(GroupSpec spec, boolean pretend) throws PluginException {
        return call("Group.CommitGroup", new GroupMessages.CommitGroupRequest(spec, pretend),
                GroupMessages.CommitGroupResponse.class).details();
    }

    @Override
    public void freeGroup(String id) throws PluginException {
        call("Group.FreeGroup", new GroupMessages.GroupIdRequest(id), GroupMessages.OkResponse.class);
    }

    @Override
    public GroupDescription describeGroup(String id) throws PluginException {
        return call("Group.DescribeGroup", new GroupMessages.GroupIdRequest(id),
                GroupMessages.DescribeGroupResponse.class).description();
    }

    @Override
    public void destroyGroup(String id) throws PluginException {
        call("Group.DestroyGroup", new GroupMessages.GroupIdRequest(id), GroupMessages.OkResponse.class);
    }

    @Override
    public List<GroupSpec> inspectGroups() throws PluginException {
        List<GroupSpec> groups = call("Group.InspectGroups", new GroupMessages.InspectGroupsRequest(),
                GroupMessages.InspectGroupsResponse.class).groups();
        return groups == null ? List.of() : groups;
    }

    @Override
    public String toString() {
        return "GroupPlugin proxy for " + rpc.socket();
    }
}
